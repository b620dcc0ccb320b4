"""The web dashboard: pages for managers and members, behind a passwordless sign-in."""

from bot.dashboard.site import COOKIE, mount_dashboard

__all__ = ["COOKIE", "mount_dashboard"]
