"""One thin view per kind of screen. Each renders a kiosk.screens.ScreenModel and emits intents."""
