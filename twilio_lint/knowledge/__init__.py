"""What twilio-lint knows about Twilio's SDKs: tables of classes, parameters, methods and
removed APIs (``sdk``), and the JSON data under ``data/`` that ``scripts/`` regenerate.

Static facts only: nothing here looks at the code being linted."""


def load_data(name: str) -> dict:
    """A JSON file of ``data/``, read where the package is installed (a plain read:
    ``importlib.resources`` costs a run 5 ms of imports for the same bytes)."""
    import json
    import os

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", name)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
