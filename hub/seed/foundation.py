def has_data() -> bool:
    return False


def load() -> None:
    pass


def demo_logins(production: bool):
    return []
