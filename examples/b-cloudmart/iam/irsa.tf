# B1: the backend pods (ServiceAccount cloudmart-backend-sa, k8s/backend.yaml) cannot reach DynamoDB:
# "No OpenIDConnect provider found in your account". The cluster is declared here, but no IAM OIDC provider
# is, and the role's trust names a ServiceAccount that does not exist.

resource "aws_eks_cluster" "cloudmart" {
  name     = "cloudmart"
  role_arn = "arn:aws:iam::654654369498:role/cloudmart-eks-cluster"

  vpc_config {
    subnet_ids = ["subnet-0c1a2b3c4d5e6f701", "subnet-0c1a2b3c4d5e6f702"]
  }
}

resource "aws_iam_role" "cloudmart_pod" {
  name = "cloudmart-eks-pod-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::654654369498:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F3D2A4B6C8E0F1A2B3C4D5E6F" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F3D2A4B6C8E0F1A2B3C4D5E6F:sub" = "system:serviceaccount:default:cloudmart-backend"
          "oidc.eks.us-east-1.amazonaws.com/id/5C5E8B1F3D2A4B6C8E0F1A2B3C4D5E6F:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "cloudmart_dynamodb" {
  name = "cloudmart-dynamodb"
  role = aws_iam_role.cloudmart_pod.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"]
      Resource = "arn:aws:dynamodb:us-east-1:654654369498:table/cloudmart-*"
    }]
  })
}
