"""jcredit-toolkit: the paperwork of Japan's J-Credit scheme, from one project folder."""

__version__ = "0.1.0"
