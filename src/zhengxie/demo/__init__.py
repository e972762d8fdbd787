"""Demo and scale data: a fictional county committee for trying the platform, and a
provincial-scale generator for benchmarks. Everything here is invented; names, ID numbers and
phone numbers are generated and belong to no one.

- ``data``: the lists (surnames, sectors, units, townships …).
- ``people``: deterministic generators for persons (name, ID number with checksum, phone …).
- ``roster``: builds one committee's organisation and roster with bulk inserts.
- ``county``: ``seed_demo()``, the demo county 政协示范县委员会 and its users.
- ``scale``: ``seed_scale()`` / ``reset_scale()``, ~100 committees and ~30,000 members.
"""
