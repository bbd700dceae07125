"""Review: who must sign a chapter, what they signed (the review log), and whether it still holds."""
