import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MongoOrderEvents, PrismaOrderRepository } from './adapters';
import { OrderEventDocument, OrderEventSchema } from './order-event.schema';
import { PlaceOrderUseCase } from './place-order.use-case';
import { ORDER_EVENTS } from './tokens';

@Module({
  imports: [MongooseModule.forFeature([{ name: OrderEventDocument.name, schema: OrderEventSchema }])],
  providers: [
    { provide: 'IOrderRepository', useClass: PrismaOrderRepository },
    { provide: ORDER_EVENTS, useClass: MongoOrderEvents },
    PlaceOrderUseCase,
  ],
})
export class OrdersModule {}
