import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ExecutionDocument, ExecutionSchema } from '../../infra/database/schemas/execution.schema';
import { MongoExecutionRepository } from '../../infra/database/repositories/mongo-execution.repository';
import { EventBridgePublisher } from '../../infra/messaging/eventbridge-publisher';
import { CreateExecutionUseCase } from './use-cases/create-execution.use-case';
import { GetExecutionUseCase } from './use-cases/get-execution.use-case';

@Module({
  imports: [MongooseModule.forFeature([{ name: ExecutionDocument.name, schema: ExecutionSchema }])],
  providers: [
    { provide: 'IExecutionRepository', useClass: MongoExecutionRepository },
    { provide: 'IEventPublisher', useClass: EventBridgePublisher },
    CreateExecutionUseCase,
    GetExecutionUseCase,
  ],
  exports: [CreateExecutionUseCase, GetExecutionUseCase],
})
export class ExecutionsModule {}
