"""What serves each plan item (tambon projects, budgets, progress) and which plan items nothing serves."""
