"""Subcommands of the ``jaxvac`` command line (one module each, see ``jaxvac/cli.py``)."""
