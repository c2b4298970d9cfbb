"""`newsbot eval`: the question set, one scoring function per metric, configurations compared side by side, reports."""
