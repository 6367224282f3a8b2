# One image for every service in docker-compose.yml: the bot, the action server, the Rasa export.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
# liblinear-official is built from source: a compiler for the install, removed after it.
RUN apt-get update && apt-get install -y --no-install-recommends g++ \
    && pip install --no-cache-dir . \
    && apt-get purge -y g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

# The content is read from here at run time (CONTENT_DIR), so it can be edited or mounted.
COPY intents ./intents
COPY responses ./responses
COPY seeds ./seeds
ENV CONTENT_DIR=/app \
    PYTHONUNBUFFERED=1
# The models are fitted once here, into /app/.cache: every container starts by reading them.
RUN python -m bot train

CMD ["python", "-m", "bot", "run"]
