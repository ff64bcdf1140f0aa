import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { PrismaClient } from '@prisma/client';
import { Model } from 'mongoose';
import { OrderEventDocument } from './order-event.schema';
import { IOrderEvents, IOrderRepository, Order } from './ports';
import { OrderStatus } from './order-status';

@Injectable()
export class PrismaOrderRepository implements IOrderRepository {
  private readonly prisma = new PrismaClient();

  create(status: string): Promise<Order> {
    return this.prisma.order.create({ data: { status } });
  }
}

@Injectable()
export class MongoOrderEvents implements IOrderEvents {
  constructor(@InjectModel(OrderEventDocument.name) private readonly model: Model<OrderEventDocument>) {}

  async placed(order: Order): Promise<void> {
    await this.model.create({ orderId: order.id, status: OrderStatus.PLACED });
  }
}
