"""In-app notifications (and, with mail configured, e-mail): who hears about what."""
