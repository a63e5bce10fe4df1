from syncer.mapping.outcomes import NaturalKey, Problem, Write
from syncer.refs import Kind, Ref


def test_a_problem_reads_as_where_field_and_message():
    assert str(Problem("invoice inv_1 line l2", "has no description", "description")) == (
        "invoice inv_1 line l2 (description): has no description"
    )
    assert (
        str(Problem("currencies.USD", "currency USD is not enabled")) == "currencies.USD: currency USD is not enabled"
    )


def test_a_write_depends_on_its_parent_and_every_ref_in_its_body_once_each():
    contact, invoice, note = Ref(Kind.CONTACT, "c"), Ref(Kind.INVOICE, "i"), Ref(Kind.CREDIT_NOTE, "n")
    write = Write(
        Kind.ALLOCATION,
        "a",
        "Allocations",
        {"Invoice": {"InvoiceID": invoice}, "Lines": [{"Contact": contact}, (invoice,)]},
        NaturalKey("CreditNotes", "CreditNoteNumber", "CN-1"),
        parent=note,
    )
    assert write.depends_on() == (note, invoice, contact)
    assert write.ref == Ref(Kind.ALLOCATION, "a")
