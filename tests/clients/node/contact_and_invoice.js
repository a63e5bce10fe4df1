// The official Node SDK (xero-node) against a served mockxero: create a contact and an invoice, read both
// back. Arguments: the Accounting API base path, a bearer token, the tenant id. Prints one JSON line.
const { AccountingApi } = require("xero-node");

async function main() {
  const [basePath, token, tenantId] = process.argv.slice(2);
  const api = new AccountingApi(basePath); // the SDK's only two settings: where, and which token
  api.accessToken = token;
  const contact = (await api.createContacts(tenantId, { contacts: [{ name: "Node Customer" }] })).body.contacts[0];
  const invoice = (
    await api.createInvoices(tenantId, {
      invoices: [
        {
          type: "ACCREC",
          contact: { contactID: contact.contactID },
          date: "2026-01-15",
          dueDate: "2026-02-15",
          lineItems: [{ description: "Widgets", quantity: 2, unitAmount: 50, accountCode: "200" }],
          status: "AUTHORISED",
        },
      ],
    })
  ).body.invoices[0];
  const readContact = (await api.getContact(tenantId, contact.contactID)).body.contacts[0];
  const readInvoice = (await api.getInvoice(tenantId, invoice.invoiceID)).body.invoices[0];
  console.log(
    JSON.stringify({
      contact: readContact.name,
      invoiceContact: readInvoice.contact.contactID === contact.contactID,
      total: String(readInvoice.total),
      status: String(readInvoice.status),
    })
  );
}

main().catch((error) => {
  console.error(error && error.response ? JSON.stringify(error.response.body) : error);
  process.exit(1);
});
