"""The pure core: values and rules of norm-based work. No I/O, no ORM, no web."""
