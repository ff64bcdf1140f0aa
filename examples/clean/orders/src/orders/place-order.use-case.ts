import { Inject, Injectable } from '@nestjs/common';
import { IOrderEvents, IOrderRepository } from './ports';
import { ORDER_EVENTS } from './tokens';

@Injectable()
export class PlaceOrderUseCase {
  constructor(
    @Inject('IOrderRepository') private readonly orders: IOrderRepository,
    @Inject(ORDER_EVENTS) private readonly events: IOrderEvents,
  ) {}

  async execute() {
    const order = await this.orders.create('PLACED');
    await this.events.placed(order);
    return order;
  }
}
