export interface ViewerParent {
  account: import('@qicai/db').Account;
}
