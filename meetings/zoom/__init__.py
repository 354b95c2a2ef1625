"""A booking's Zoom meeting, in one place: the only meetings code that imports `integrations.zoom`
(`state` imports nothing of it, so that `meetings.models` can build on it).

Read it top to bottom, as the story goes:
- `state`: where the link stands (`LinkState`), its fields and every transition (`ZoomLink`, the
  abstract model the booking inherits);
- `tasks`: what starts a run (the Celery task, sent when a booking's Zoom work is due, and again
  by the sweeper);
- `links`: the run (claim, adopt-or-create / update / remove);
- `results`: what a run records on the booking (its meeting, or its error's rule: back off,
  park, fail);
- `gateway`: every Zoom call a booking makes, over one Zoom session;
- `bodies`: what we send Zoom for a booking, and what we keep of its answers (pure);
- `matching`: which meeting found in Zoom is this booking's (pure);
- `events`: what Zoom tells us about meetings and connections.
"""
