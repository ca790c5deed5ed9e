"""One thin view per kind of screen. Each renders a kiosk.screens.ScreenModel and sends the flow's typed events."""
