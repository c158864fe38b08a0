"""The demo flow: greets someone and shows the file shipped next to it."""
from pathlib import Path

from syntask import flow


@flow(name="hello")
def hello(name: str = "world", excited: bool = False):
    greeting = f"Hello, {name}{'!' if excited else '.'}"
    print(greeting)
    message = Path(__file__).with_name("message.txt")
    if message.exists():
        print(message.read_text().strip())
    return greeting


if __name__ == "__main__":
    hello()
