"""The facilitator's console (Textual): steps through an exercise's injects over the model."""
