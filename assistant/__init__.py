"""在宅療養 budget assistant: answers from facts extracted from the budget documents."""
