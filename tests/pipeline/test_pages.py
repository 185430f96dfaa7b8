

def test_notice_page_links_to_its_disclosure_management(login, hospital_a_clerk, django_capture_on_commit_callbacks):
    from notices.services import notice_create

    with django_capture_on_commit_callbacks(execute=True):
        notice, _ = notice_create(data="根据市委统一部署……".encode(), filename="n.txt", uploaded_by=hospital_a_clerk)
    page = login(hospital_a_clerk).get(f"/notices/{notice.pk}/").content.decode()
    assert f'href="/public/manage/{notice.pk}/"' in page
