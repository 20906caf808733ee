/** Field names taken as the vector when none is chosen, in order of preference. */
export const DEFAULT_VECTOR_FIELDS = ['embedding', 'vector'];
