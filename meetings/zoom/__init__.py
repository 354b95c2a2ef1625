"""A booking's Zoom meeting, in one place: the only meetings code that imports `integrations.zoom`.

Read it in this order:
- `bodies`: what we send Zoom for a booking, and what we keep of its answers (pure);
- `matching`: which meeting found in Zoom is this booking's (pure);
- `gateway`: every Zoom call a booking makes, over one Zoom session;
- `links`: the link state machine (claim, adopt-or-create / update / remove, record, back off);
- `events`: what Zoom tells us about meetings and connections;
- `tasks`: the Celery task that runs `links`.
"""
