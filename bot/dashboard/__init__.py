"""The web dashboard: pages for managers and members, behind a passwordless sign-in."""
