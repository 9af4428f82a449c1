"""The phone app (Flet 1.0.5): shell, screens, shared components and zh-CN strings.

Entry points: `fieldapp.ui.app.main(page)` (a Flet app function) and
`fieldapp.ui.app.run(port, host, data_dir)` (serves it for a browser);
``python -m fieldapp.ui.app --port 8550 --data-dir DIR``.
"""
