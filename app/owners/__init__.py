"""Owner verification (业主认证): units, verified memberships and the requests staff review."""
