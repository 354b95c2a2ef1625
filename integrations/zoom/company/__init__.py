"""The company's Zoom account: connected once by a Zoom admin (the admin-managed app), and the reps
it serves; its keep-alive, what happens when it breaks or is removed, the Zoom admins' emails and
their page."""
