"""Taking payment: the Mercado Pago gateway and what a payment's news does to its booking."""
