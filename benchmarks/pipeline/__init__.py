"""The booking pipeline benchmark's parts (`benchmarks/link_population.py` is the command).

- `stack`: the processes (a private Redis, PostgreSQL database, Zoom stand-in, gunicorn, workers).
- `reps`: reps connected to Zoom through the sandbox's real OAuth flow, each with a booking page.
- `guests`: open-loop HTTP guests (asyncio): every request leaves at its due time.
- `direct`: bookings inserted and handed to the workers at their due times (no web).
- `cpu`: CPU and peak memory of every process that serves a booking.
- `figures`: what the database says happened, the targets, and the report.
"""
