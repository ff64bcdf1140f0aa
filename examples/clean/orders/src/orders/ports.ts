export interface Order {
  id: string;
  status: string;
}

export interface IOrderRepository {
  create(status: string): Promise<Order>;
}

export interface IOrderEvents {
  placed(order: Order): Promise<void>;
}
