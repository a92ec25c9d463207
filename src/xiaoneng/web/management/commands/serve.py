"""xiaoneng serve [--host H] [--port P] [--threads N]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xiaoneng.demo.logins import demo_logins_text


class Command(BaseCommand):
    help = (
        "启动网页与接口服务。Serve the web application and the API with waitress (static files "
        "by whitenoise); run 'xiaoneng manage migrate' first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from xiaoneng.wsgi import application

        url = f"http://{options['host']}:{options['port']}"
        logins = demo_logins_text()
        if logins:
            self.stdout.write(logins)
        self.stdout.write(f"xiaoneng serving on {url}  (Ctrl-C to stop)")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
