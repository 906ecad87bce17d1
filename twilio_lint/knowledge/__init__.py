"""What twilio-lint knows about Twilio's SDKs: tables of classes, parameters, methods and
removed APIs (``sdk``), and the JSON data under ``data/`` that ``scripts/`` regenerate.

Static facts only: nothing here looks at the code being linted."""
