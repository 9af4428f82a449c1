"""Entry module for `flet build apk` (pyproject [tool.flet.app]): the phone app."""

import flet as ft

from fieldapp.ui.app import main

if __name__ == "__main__":
    ft.run(main)
