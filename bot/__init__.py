"""The Telegram front end: thin handlers over ``rag`` (see ``bot.app.build_application``)."""
