"""Template data that jinja2 reads quickly: ``d.title`` on a dict is first tried as an
attribute, and on a plain dict that raises (and drops) an AttributeError every time."""

from __future__ import annotations

from typing import Any


class Fields(dict[str, Any]):
    """A dict whose keys are also its attributes (its own ``__dict__``), so ``d.title``
    is found by jinja2's first try. Keys must not be dict method names (``items``,
    ``keys``, ...): the key would hide the method from templates."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__ = self
