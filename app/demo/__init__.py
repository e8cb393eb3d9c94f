"""Demo data: the made-up shops, products, buyers and addresses `packline demo seed` fills a
warehouse with. Not warehouse rules (those are `app.domain`); plain Python, no Qt, no SQL."""
