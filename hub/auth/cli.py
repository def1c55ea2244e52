import click

users_command = click.Group("users", help="Manage user accounts.")
