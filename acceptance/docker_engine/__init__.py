"""Images: Dockerfiles read, images built, inspected and run as containers on the Docker engine."""
