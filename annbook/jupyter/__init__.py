"""The notebook layer: live controls, live plots (the core never imports it)."""
