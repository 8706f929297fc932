"""Demo mode: the material a newcomer can judge after `make run` (`flask seed --demo-content`)
and the switch that shows the demo process in its results phase."""
