"""Site settings an admin changes in the browser, and the holiday calendar."""
