export const ORDER_EVENTS = Symbol('ORDER_EVENTS');
