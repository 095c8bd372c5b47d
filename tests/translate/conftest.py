from tests.translate.chat_server import serve

__all__ = ["serve"]
