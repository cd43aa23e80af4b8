"""Photos of defects on posts (issue 9): checked, re-encoded, stored apart, served by the app."""
