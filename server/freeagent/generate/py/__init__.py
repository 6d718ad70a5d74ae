"""Python targets: pydantic models, an httpx client function, a FastAPI route."""
