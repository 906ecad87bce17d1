from twilio_lint.cli import main

raise SystemExit(main())
