"""Operations: health endpoints for load balancers and orchestrators."""
