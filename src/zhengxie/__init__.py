"""Zhengxie (智慧政协): the platform a CPPCC committee runs its year on."""

__version__ = "0.1.0"
