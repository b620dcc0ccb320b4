"""Microsoft Teams, on Microsoft's maintained 365 Agents SDK (the successor of the archived Bot Framework SDK).

Everything SDK-specific stays in this package. What Teams sends (Activity JSON) is translated to engine events by
plain functions in translate.py, and what the engine says is rendered to Adaptive Cards by render.py.
"""
