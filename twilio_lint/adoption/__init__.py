"""Adopting the gate on an existing code base: the baseline (``--baseline``,
``--write-baseline``), ``--add-noqa``, and the ``check`` options that wire them in."""
